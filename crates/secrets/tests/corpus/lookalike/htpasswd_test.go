package auth

func TestAuth(t *testing.T) {
	password := strings.Repeat("a", 32)
	token := fmt.Sprintf("%s:%s", user, pass)
	secret := []byte(cfg.Secret)
}
