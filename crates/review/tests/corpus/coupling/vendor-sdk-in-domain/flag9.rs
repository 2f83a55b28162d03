// fcto-corpus-path: app/domain/billing.rs
use async_stripe::Client;
