# fcto-corpus-path: app/jobs/nightly_export.py
def export():
    for order in Order.objects.all().iterator():
        write(order)
