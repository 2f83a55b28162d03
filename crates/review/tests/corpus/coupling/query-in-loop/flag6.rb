def totals(orders)
  orders.each do |order|
    customer = Customer.find_by(id: order.customer_id)
    puts customer.name
  end
end
