# fcto-corpus-path: app/domain/payments.rb
class Payments
  def charge(order)
    Stripe::Charge.create(amount: order.cents, currency: "usd")
  end
end
