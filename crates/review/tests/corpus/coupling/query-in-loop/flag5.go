package repo

func loadAll(db *sql.DB, ids []int64) ([]User, error) {
	var users []User
	for _, id := range ids {
		row := db.QueryRow("SELECT id, name FROM users WHERE id = $1", id)
		var u User
		row.Scan(&u.ID, &u.Name)
		users = append(users, u)
	}
	return users, nil
}
