DROP VIEW analytics_summary;
