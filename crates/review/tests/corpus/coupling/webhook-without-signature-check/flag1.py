import json

@app.route("/webhooks/stripe", methods=["POST"])
def stripe_events():
    event = json.loads(request.data)
    if event["type"] == "invoice.paid":
        mark_paid(event["data"]["object"]["id"])
    return "", 200
