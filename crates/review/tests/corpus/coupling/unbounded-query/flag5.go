// fcto-corpus-path: internal/handlers/orders.go
package handlers

func listOrders(w http.ResponseWriter, r *http.Request) {
	var orders []Order
	db.Where("status = ?", "open").Find(&orders)
	json.NewEncoder(w).Encode(orders)
}
