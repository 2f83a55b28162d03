# fcto-corpus-path: shop/views.py
def order_list(request):
    orders = Order.objects.all()
    return render(request, "orders.html", {"orders": orders})
