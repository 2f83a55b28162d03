//! Terraform: providers (with `required_providers` sources and versions),
//! resources mapped to a family (database, queue, serverless...), database
//! engines and versions, and module sources. Only literal values are read;
//! nothing is evaluated.

use crate::error::{decode, InfraError};
use crate::fact::{CloudResource, Database, Fact, Family, Module, Provider, StoreKind};
use crate::hcl::{self, Body, Expr};

pub fn parse(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let text = decode(label, bytes)?;
    let body = hcl::parse(label, text)?;
    let mut facts = Vec::new();
    for block in &body.blocks {
        match (block.ty.as_str(), block.labels.as_slice()) {
            ("terraform", _) => {
                for rp in block.body.blocks("required_providers") {
                    for attr in &rp.body.attrs {
                        let (source, version) = match &attr.value {
                            Expr::Object(_) => (
                                attr.value
                                    .field("source")
                                    .and_then(Expr::as_str)
                                    .map(str::to_string),
                                attr.value
                                    .field("version")
                                    .and_then(Expr::as_str)
                                    .map(str::to_string),
                            ),
                            // Terraform 0.12 style: `aws = "~> 2.0"`.
                            Expr::Str(v) => (None, Some(v.clone())),
                            _ => (None, None),
                        };
                        facts.push(Fact::Provider(Provider {
                            file: label.to_string(),
                            line: attr.line,
                            name: attr.name.clone(),
                            source,
                            version,
                            region: None,
                            alias: None,
                        }));
                    }
                }
            }
            ("provider", [name, ..]) => facts.push(Fact::Provider(Provider {
                file: label.to_string(),
                line: block.line,
                name: name.clone(),
                source: None,
                version: block.body.str("version"),
                region: block
                    .body
                    .str("region")
                    .or_else(|| block.body.str("location")),
                alias: block.body.str("alias"),
            })),
            ("resource", [ty, name, ..]) => {
                resource(label, block.line, ty, name, &block.body, &mut facts)
            }
            ("module", [name, ..]) => {
                if let Some(source) = block.body.str("source") {
                    facts.push(Fact::Module(Module {
                        file: label.to_string(),
                        line: block.line,
                        name: name.clone(),
                        source,
                        version: block.body.str("version"),
                    }));
                }
            }
            _ => {}
        }
    }
    Ok(facts)
}

fn resource(label: &str, line: u32, ty: &str, name: &str, body: &Body, facts: &mut Vec<Fact>) {
    let provider = ty.split('_').next().unwrap_or(ty).to_string();
    let family = family_of(ty);
    let (engine, version) = engine_of(ty, body);
    let runtime = body.str("runtime").or_else(|| {
        body.blocks("site_config")
            .next()
            .and_then(|s| s.body.blocks("application_stack").next())
            .and_then(|a| a.body.attrs.first())
            .and_then(|a| a.value.as_str().map(|v| format!("{} {v}", a.name)))
    });
    if let Some(engine) = &engine {
        facts.push(Fact::Database(Database {
            file: label.to_string(),
            line,
            engine: engine.clone(),
            kind: store_kind(engine, family),
            version: version.clone(),
            evidence: format!("terraform {ty}.{name}"),
            name: Some(name.to_string()),
        }));
    }
    facts.push(Fact::CloudResource(CloudResource {
        file: label.to_string(),
        line,
        provider,
        resource_type: ty.to_string(),
        name: name.to_string(),
        family,
        engine,
        version,
        region: body.str("region").or_else(|| body.str("location")),
        runtime,
    }));
}

/// The family of a resource type, across providers.
pub fn family_of(ty: &str) -> Family {
    use Family::*;
    let exact = match ty {
        "aws_db_instance"
        | "aws_rds_cluster"
        | "aws_rds_cluster_instance"
        | "aws_dynamodb_table"
        | "aws_docdb_cluster"
        | "aws_neptune_cluster"
        | "aws_keyspaces_keyspace"
        | "aws_timestream_database"
        | "aws_lightsail_database" => Database,
        "aws_elasticache_cluster"
        | "aws_elasticache_replication_group"
        | "aws_elasticache_serverless_cache"
        | "aws_memorydb_cluster" => Cache,
        "aws_sqs_queue" | "aws_mq_broker" | "aws_sns_topic" => Queue,
        "aws_msk_cluster"
        | "aws_msk_serverless_cluster"
        | "aws_kinesis_stream"
        | "aws_kinesis_firehose_delivery_stream" => Stream,
        "aws_opensearch_domain" | "aws_elasticsearch_domain" => Search,
        "aws_redshift_cluster" | "aws_redshiftserverless_workgroup" | "aws_athena_workgroup" => {
            Warehouse
        }
        "aws_lambda_function" => Serverless,
        "aws_ecs_service"
        | "aws_ecs_task_definition"
        | "aws_ecs_cluster"
        | "aws_apprunner_service" => Container,
        "aws_eks_cluster" | "aws_eks_node_group" => Kubernetes,
        "aws_elastic_beanstalk_environment"
        | "aws_elastic_beanstalk_application"
        | "aws_amplify_app"
        | "aws_lightsail_container_service" => AppPlatform,
        "aws_instance"
        | "aws_launch_template"
        | "aws_autoscaling_group"
        | "aws_lightsail_instance"
        | "aws_batch_compute_environment" => Compute,
        "aws_cloudfront_distribution" => Cdn,
        "aws_ecr_repository" => Registry,
        "aws_ses_domain_identity" | "aws_sesv2_email_identity" => Email,
        "google_sql_database_instance"
        | "google_spanner_instance"
        | "google_firestore_database"
        | "google_bigtable_instance"
        | "google_alloydb_cluster" => Database,
        "google_redis_instance" | "google_memcache_instance" => Cache,
        "google_pubsub_topic" | "google_pubsub_subscription" | "google_cloud_tasks_queue" => Queue,
        "google_bigquery_dataset" | "google_bigquery_table" => Warehouse,
        "google_cloud_run_service" | "google_cloud_run_v2_service" | "google_cloud_run_v2_job" => {
            Container
        }
        "google_cloudfunctions_function" | "google_cloudfunctions2_function" => Serverless,
        "google_container_cluster" | "google_container_node_pool" => Kubernetes,
        "google_compute_instance"
        | "google_compute_instance_template"
        | "google_compute_instance_group_manager" => Compute,
        "google_storage_bucket" => Storage,
        "google_artifact_registry_repository" => Registry,
        "google_compute_backend_bucket" => Cdn,
        "azurerm_cosmosdb_account" | "azurerm_mssql_database" | "azurerm_sql_database" => Database,
        "azurerm_redis_cache" | "azurerm_managed_redis" => Cache,
        "azurerm_servicebus_namespace" | "azurerm_servicebus_queue" | "azurerm_storage_queue" => {
            Queue
        }
        "azurerm_eventhub_namespace" | "azurerm_eventhub" => Stream,
        "azurerm_search_service" => Search,
        "azurerm_kubernetes_cluster" => Kubernetes,
        "azurerm_container_app" | "azurerm_container_group" => Container,
        "azurerm_function_app" | "azurerm_linux_function_app" | "azurerm_windows_function_app" => {
            Serverless
        }
        "azurerm_app_service"
        | "azurerm_linux_web_app"
        | "azurerm_windows_web_app"
        | "azurerm_static_web_app"
        | "azurerm_static_site" => AppPlatform,
        "azurerm_linux_virtual_machine"
        | "azurerm_windows_virtual_machine"
        | "azurerm_virtual_machine"
        | "azurerm_linux_virtual_machine_scale_set" => Compute,
        "azurerm_storage_account" | "azurerm_storage_container" => Storage,
        "azurerm_container_registry" => Registry,
        "azurerm_cdn_profile" | "azurerm_cdn_frontdoor_profile" => Cdn,
        "azurerm_key_vault" | "azurerm_key_vault_secret" => Secrets,
        "digitalocean_database_cluster"
        | "mongodbatlas_cluster"
        | "mongodbatlas_advanced_cluster"
        | "heroku_addon"
        | "neon_project"
        | "supabase_project"
        | "planetscale_database"
        | "cloudflare_d1_database" => Database,
        "upstash_redis_database" => Cache,
        "digitalocean_app" | "heroku_app" | "fly_app" | "render_web_service" | "vercel_project"
        | "railway_service" => AppPlatform,
        "digitalocean_droplet" | "hcloud_server" | "linode_instance" => Compute,
        "digitalocean_kubernetes_cluster" => Kubernetes,
        "digitalocean_spaces_bucket" | "cloudflare_r2_bucket" => Storage,
        "cloudflare_worker_script" | "cloudflare_workers_script" => Serverless,
        "cloudflare_record" | "cloudflare_dns_record" | "cloudflare_zone" => Dns,
        "kubernetes_deployment" | "kubernetes_deployment_v1" | "kubernetes_stateful_set" => {
            Container
        }
        "helm_release" => Kubernetes,
        _ => Other,
    };
    if exact != Other {
        return exact;
    }
    let prefixed: &[(&str, Family)] = &[
        ("aws_s3_", Storage),
        ("aws_route53_", Dns),
        ("aws_lb", Network),
        ("aws_alb", Network),
        ("aws_elb", Network),
        ("aws_vpc", Network),
        ("aws_subnet", Network),
        ("aws_security_group", Network),
        ("aws_nat_gateway", Network),
        ("aws_internet_gateway", Network),
        ("aws_route", Network),
        ("aws_eip", Network),
        ("aws_iam_", Identity),
        ("aws_cognito_", Identity),
        ("aws_secretsmanager_", Secrets),
        ("aws_ssm_parameter", Secrets),
        ("aws_kms_", Secrets),
        ("aws_cloudwatch_", Monitoring),
        ("aws_api_gateway", ApiGateway),
        ("aws_apigatewayv2_", ApiGateway),
        ("aws_acm_", Network),
        ("google_dns_", Dns),
        ("google_compute_network", Network),
        ("google_compute_subnetwork", Network),
        ("google_compute_firewall", Network),
        ("google_compute_global_address", Network),
        ("google_compute_address", Network),
        ("google_compute_url_map", Network),
        ("google_project_iam", Identity),
        ("google_service_account", Identity),
        ("google_secret_manager_", Secrets),
        ("google_kms_", Secrets),
        ("google_monitoring_", Monitoring),
        ("google_logging_", Monitoring),
        ("google_api_gateway_", ApiGateway),
        ("azurerm_postgresql_", Database),
        ("azurerm_mysql_", Database),
        ("azurerm_mariadb_", Database),
        ("azurerm_mssql_", Database),
        ("azurerm_sql_", Database),
        ("azurerm_cosmosdb_", Database),
        ("azurerm_dns_", Dns),
        ("azurerm_virtual_network", Network),
        ("azurerm_subnet", Network),
        ("azurerm_network_", Network),
        ("azurerm_public_ip", Network),
        ("azurerm_lb", Network),
        ("azurerm_application_gateway", Network),
        ("azurerm_role_", Identity),
        ("azurerm_user_assigned_identity", Identity),
        ("azurerm_monitor_", Monitoring),
        ("azurerm_log_analytics_", Monitoring),
        ("azurerm_application_insights", Monitoring),
        ("azurerm_api_management", ApiGateway),
    ];
    prefixed
        .iter()
        .find(|(p, _)| ty.starts_with(p))
        .map_or(Other, |(_, f)| *f)
}

/// The engine (normalised) and version a database-like resource declares.
fn engine_of(ty: &str, body: &Body) -> (Option<String>, Option<String>) {
    let s = |k: &str| body.str(k);
    let (engine, version) = match ty {
        "aws_db_instance" | "aws_rds_cluster" | "aws_rds_cluster_instance" => (
            s("engine").map(|e| normalise_engine(&e)),
            s("engine_version"),
        ),
        "aws_elasticache_cluster" | "aws_elasticache_serverless_cache" | "aws_memorydb_cluster" => {
            (
                Some(s("engine").unwrap_or_else(|| "redis".into())),
                s("engine_version"),
            )
        }
        "aws_elasticache_replication_group" => (
            Some(s("engine").unwrap_or_else(|| "redis".into())),
            s("engine_version"),
        ),
        "aws_dynamodb_table" => (Some("dynamodb".into()), None),
        "aws_docdb_cluster" => (Some("documentdb".into()), s("engine_version")),
        "aws_neptune_cluster" => (Some("neptune".into()), s("engine_version")),
        "aws_keyspaces_keyspace" => (Some("cassandra".into()), None),
        "aws_timestream_database" => (Some("timestream".into()), None),
        "aws_redshift_cluster" | "aws_redshiftserverless_workgroup" => {
            (Some("redshift".into()), None)
        }
        "aws_opensearch_domain" => (
            Some("opensearch".into()),
            s("engine_version").map(|v| v.trim_start_matches("OpenSearch_").to_string()),
        ),
        "aws_elasticsearch_domain" => (Some("elasticsearch".into()), s("elasticsearch_version")),
        "aws_mq_broker" => (
            s("engine_type").map(|e| e.to_ascii_lowercase()),
            s("engine_version"),
        ),
        "aws_msk_cluster" | "aws_msk_serverless_cluster" => {
            (Some("kafka".into()), s("kafka_version"))
        }
        "aws_sqs_queue" => (Some("sqs".into()), None),
        "aws_kinesis_stream" => (Some("kinesis".into()), None),
        "aws_lightsail_database" => (s("blueprint_id").map(|b| normalise_engine(&b)), None),
        "google_sql_database_instance" => match s("database_version") {
            Some(v) => {
                let (e, ver) = v.split_once('_').unwrap_or((&v, ""));
                let ver = ver
                    .split('_')
                    .take_while(|p| p.chars().all(|c| c.is_ascii_digit()))
                    .collect::<Vec<_>>()
                    .join(".");
                (
                    Some(normalise_engine(&e.to_ascii_lowercase())),
                    (!ver.is_empty()).then_some(ver),
                )
            }
            None => (Some("cloud-sql".into()), None),
        },
        "google_alloydb_cluster" => (Some("postgres".into()), s("database_version")),
        "google_redis_instance" => (
            Some("redis".into()),
            s("redis_version").map(|v| v.trim_start_matches("REDIS_").replace('_', ".")),
        ),
        "google_memcache_instance" => (Some("memcached".into()), s("memcache_version")),
        "google_spanner_instance" => (Some("spanner".into()), None),
        "google_bigtable_instance" => (Some("bigtable".into()), None),
        "google_firestore_database" => (Some("firestore".into()), None),
        "google_bigquery_dataset" => (Some("bigquery".into()), None),
        "google_pubsub_topic" => (Some("pubsub".into()), None),
        "azurerm_cosmosdb_account" => (
            Some(match s("kind").as_deref() {
                Some("MongoDB") => "mongodb".into(),
                _ => "cosmosdb".into(),
            }),
            None,
        ),
        "azurerm_redis_cache" | "azurerm_managed_redis" => {
            (Some("redis".into()), s("redis_version"))
        }
        "azurerm_servicebus_namespace" => (Some("servicebus".into()), None),
        "azurerm_eventhub_namespace" => (Some("eventhubs".into()), None),
        t if t.starts_with("azurerm_postgresql_") && t.ends_with("server") => {
            (Some("postgres".into()), s("version"))
        }
        t if t.starts_with("azurerm_mysql_") && t.ends_with("server") => {
            (Some("mysql".into()), s("version"))
        }
        t if t.starts_with("azurerm_mariadb_") && t.ends_with("server") => {
            (Some("mariadb".into()), s("version"))
        }
        "azurerm_mssql_server" | "azurerm_sql_server" => (Some("sqlserver".into()), s("version")),
        "digitalocean_database_cluster" => {
            (s("engine").map(|e| normalise_engine(&e)), s("version"))
        }
        "mongodbatlas_cluster" | "mongodbatlas_advanced_cluster" => {
            (Some("mongodb".into()), s("mongo_db_major_version"))
        }
        "heroku_addon" => {
            let plan = s("plan").unwrap_or_default();
            let service = plan.split(':').next().unwrap_or("");
            (
                match service {
                    "heroku-postgresql" => Some("postgres".into()),
                    "heroku-redis" => Some("redis".into()),
                    "jawsdb" | "cleardb" => Some("mysql".into()),
                    "cloudamqp" => Some("rabbitmq".into()),
                    "heroku-kafka" => Some("kafka".into()),
                    _ => None,
                },
                None,
            )
        }
        "neon_project" | "supabase_project" => (Some("postgres".into()), s("pg_version")),
        "planetscale_database" => (Some("mysql".into()), None),
        "cloudflare_d1_database" => (Some("sqlite".into()), None),
        "upstash_redis_database" => (Some("redis".into()), None),
        _ => (None, None),
    };
    (engine, version)
}

/// Vendor spellings to one engine name.
fn normalise_engine(e: &str) -> String {
    let e = e.to_ascii_lowercase();
    match e.as_str() {
        "pg" | "postgresql" | "aurora-postgresql" | "postgres" => "postgres".into(),
        "aurora" | "aurora-mysql" | "mysql" => "mysql".into(),
        _ if e.starts_with("oracle") => "oracle".into(),
        _ if e.starts_with("sqlserver") => "sqlserver".into(),
        _ if e.starts_with("postgres") => "postgres".into(),
        _ if e.starts_with("mysql") => "mysql".into(),
        _ => e,
    }
}

fn store_kind(engine: &str, family: Family) -> StoreKind {
    match engine {
        "redis" | "valkey" | "dynamodb" | "cassandra" | "bigtable" => StoreKind::KeyValue,
        "memcached" => StoreKind::Cache,
        "mongodb" | "documentdb" | "cosmosdb" | "firestore" => StoreKind::Document,
        "opensearch" | "elasticsearch" => StoreKind::Search,
        "neptune" => StoreKind::Graph,
        "timestream" => StoreKind::TimeSeries,
        "redshift" | "bigquery" => StoreKind::Warehouse,
        "kafka" | "kinesis" | "eventhubs" => StoreKind::Stream,
        "sqs" | "rabbitmq" | "activemq" | "pubsub" | "servicebus" => StoreKind::Queue,
        _ => match family {
            Family::Cache => StoreKind::Cache,
            Family::Queue => StoreKind::Queue,
            Family::Stream => StoreKind::Stream,
            _ => StoreKind::Relational,
        },
    }
}
