import stripe

@app.route("/webhooks/stripe", methods=["POST"])
def stripe_events():
    event = stripe.Webhook.construct_event(
        request.data, request.headers["Stripe-Signature"], settings.STRIPE_WEBHOOK_SECRET
    )
    if event["type"] == "invoice.paid":
        mark_paid(event["data"]["object"]["id"])
    return "", 200

def handle_webhook(request):
    check_signature(request)
    process(request)

def check_signature(request):
    expected = hmac.new(KEY, request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers["X-Sig"]):
        raise PermissionDenied()
