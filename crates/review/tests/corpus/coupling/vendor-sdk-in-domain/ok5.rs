// fcto-corpus-path: app/domain/billing.rs
use crate::ports::PaymentGateway;
use std::collections::HashMap;
