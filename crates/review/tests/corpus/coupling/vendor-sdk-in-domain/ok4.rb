# fcto-corpus-path: app/domain/payments.rb
class Payments
  def initialize(gateway)
    @gateway = gateway
  end

  def charge(order)
    @gateway.charge(amount: order.cents) # Stripe::Charge lives in the adapter
  end
end
