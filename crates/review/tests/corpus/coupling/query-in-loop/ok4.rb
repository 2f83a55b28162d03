def totals(orders)
  customers = Customer.where(id: orders.map(&:customer_id)).index_by(&:id)
  orders.each do |order|
    puts customers[order.customer_id].name
  end
end
