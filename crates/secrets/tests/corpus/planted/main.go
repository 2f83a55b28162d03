package main

var cfg = Config{
	Password: "A-UCAqTpUdrWo_wxQiR9oq%W",
	DSN:      "mariadb://shop:KxanB7KgzgQjtSaNp9@maria.prod.internal:3306/shop",
}

func main() {
	token := "Zo%tIUZa-Z0coTg6IVL6X*3M"
	_ = token
}
