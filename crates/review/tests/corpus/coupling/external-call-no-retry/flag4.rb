def notify(order)
  HTTParty.post(ENV.fetch("HOOK_URL"), body: order.to_json, timeout: 10)
end
