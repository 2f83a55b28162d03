// fcto-corpus-path: internal/handlers/orders.go
package handlers

const listOrders = `SELECT id, total FROM orders WHERE status = $1 ORDER BY id LIMIT $2`
const countOrders = "SELECT count(*) FROM orders"
const oneOrder = "SELECT * FROM orders WHERE id = $1"
