Stripe.api_key = 'rk_live_51HxAbCdEfGhIjKlMnOpQr'
