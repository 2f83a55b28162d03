from django.http import HttpResponse

def shopify_webhook(request):
    payload = json.loads(request.body)
    # TODO: hmac check
    Order.objects.filter(shopify_id=payload["id"]).update(paid=True)
    return HttpResponse(status=200)
