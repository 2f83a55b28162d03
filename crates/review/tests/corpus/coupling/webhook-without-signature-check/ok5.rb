class PaymentsController < ApplicationController
  def webhook
    event = Stripe::Webhook.construct_event(request.raw_post, request.headers["Stripe-Signature"], secret)
    Order.find(event.data.object.metadata.order_id).mark_paid!
    head :ok
  end
end
