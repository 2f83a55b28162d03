package repo

func loadAll(db *sql.DB, ids []int64) ([]User, error) {
	rows, err := db.Query("SELECT id, name FROM users WHERE id = ANY($1)", pq.Array(ids))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var u User
		rows.Scan(&u.ID, &u.Name)
	}
	return nil, nil
}
