package billing

// endpoint lives in config: https://api.sendgrid.com/v3/mail/send
var endpoint = os.Getenv("SENDGRID_BASE_URL")
var raw = `http://127.0.0.1:9000/metrics`
