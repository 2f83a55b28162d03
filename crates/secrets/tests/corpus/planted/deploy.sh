#!/bin/sh
set -eu
export GITLAB_TOKEN=glpat-qpG9bZKpEM4OwS8P3qR0
curl -H "x-api-key: sk-ant-api03-EAnJNwS_NnP7Pt5eGOnWBr280__4nK-31NPnd1cis5rjBjpo5dJKxFLDLBdVU9dgRS7qtzyT9gNdS9f7DdqOkNBdWPXh8AA" https://api.anthropic.com/v1/messages
psql "postgresql://deploy:iJzQxddYa3TBBK6b85@db.prod.internal/app" -f migrate.sql
curl -u ci:ghp_WItyohgbFFInASmEuj6ik62P99ZU76znLQMa https://api.github.com/user
