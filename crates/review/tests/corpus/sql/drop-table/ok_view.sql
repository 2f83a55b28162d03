DROP VIEW IF EXISTS legacy_report;
