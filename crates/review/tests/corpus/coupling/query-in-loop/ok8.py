def save(rows, cursor):
    for attempt in range(3):
        try:
            cursor.execute("INSERT INTO audit (body) VALUES (%s)", [rows])
            break
        except OperationalError:
            continue
    for table in ["orders", "invoices"]:
        cursor.execute(f"ANALYZE {table}")
    for batch in chunked(rows, 500):
        cursor.execute("INSERT INTO t VALUES " + values(batch))
