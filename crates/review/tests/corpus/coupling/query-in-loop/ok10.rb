def backfill
  Order.find_in_batches(batch_size: 500) do |orders|
    Order.where(id: orders.map(&:id)).update_all(flag: true)
  end
  3.times do
    Lock.create(name: "x")
  end
end
