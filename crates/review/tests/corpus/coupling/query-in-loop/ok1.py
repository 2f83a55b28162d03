def order_summaries(order_ids):
    orders = Order.objects.in_bulk(order_ids)
    summaries = []
    for order_id in order_ids:
        # Order.objects.get(id=order_id) here would be N+1
        summaries.append(orders[order_id].summary())
    for row in cursor.execute("SELECT id FROM orders"):
        summaries.append(row)
    return summaries

def after_loop(ids):
    for i in ids:
        total = i * 2
    return User.objects.filter(id__in=ids)
