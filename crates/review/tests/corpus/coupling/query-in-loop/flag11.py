def totals(user_ids):
    for user_id in user_ids:
        cursor.execute(
            "SELECT sum(total) FROM orders WHERE user_id = %s",
            [user_id],
        )
