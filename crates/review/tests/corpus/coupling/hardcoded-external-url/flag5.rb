class Notifier
  URL = "https://api.mailgun.net/v3/messages"
end
