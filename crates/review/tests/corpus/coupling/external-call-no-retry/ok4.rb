class NotifyJob < ApplicationJob
  retry_on Net::ReadTimeout, wait: :polynomially_longer, attempts: 5

  def perform(order)
    HTTParty.post(ENV.fetch("HOOK_URL"), body: order.to_json, timeout: 10)
  end
end
