# fcto-corpus-path: shop/views.py
def order_list(request):
    orders = Paginator(Order.objects.all(), 50).get_page(request.GET.get("page"))
    recent = Order.objects.all()[:20]
    count = db.execute("SELECT count(*) FROM orders")
    one = db.execute("SELECT * FROM orders WHERE id = %s", [pk])
    page = db.execute("SELECT * FROM orders ORDER BY id LIMIT 50")
    return render(request, "orders.html", {"orders": orders})
