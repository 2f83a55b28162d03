import stripe

stripe.api_key = "sk_live_51HxAbCdEfGhIjKlMnOpQrStUv"
