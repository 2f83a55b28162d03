<?php
// fcto-corpus-path: app/domain/Billing.php
namespace App\Domain;

use Stripe\StripeClient;
