def totals(items, cache):
    out = {}
    for item in items:
        out[item.sku] = cache.get(item.sku) or settings.PRICES.get(item.sku)
        current.execute_plan(item)
        log.info("User.objects.get(id=%s) would be N+1", item.id)
    OrderLine.objects.bulk_create([OrderLine(sku=k, total=v) for k, v in out.items()])
    return out
