# fcto-corpus-path: app/services/reports.py
@app.get("/reports")
def reports():
    rows = db.execute("SELECT id, total FROM orders WHERE status = 'paid'")
    return list(rows)
