#!/bin/sh
mysql --password="$MYSQL_PWD" -u root
export PGPASSWORD="${DB_PASSWORD}"
TOKEN=$(vault read -field=token secret/ci)
curl -H "Authorization: Bearer $TOKEN" https://api.internal/
