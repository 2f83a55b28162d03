class PaymentsController < ApplicationController
  def webhook
    event = JSON.parse(request.body.read)
    Order.find(event["order_id"]).mark_paid!
    head :ok
  end
end
