class PaymentsController < ApplicationController
  before_action :verify_stripe_signature, only: :webhook

  def webhook
    Order.find(params[:order_id]).mark_paid!
    head :ok
  end
end
