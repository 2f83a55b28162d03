def order_summaries(order_ids):
    summaries = []
    for order_id in order_ids:
        order = Order.objects.get(
            id=order_id,
        )
        summaries.append(order.summary())
    return summaries
