package billing

const endpoint = "https://api.sendgrid.com/v3/mail/send"
