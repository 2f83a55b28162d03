class Change < ActiveRecord::Migration[7.1]
  def change
    add_check_constraint :orders, "quantity >= 0", name: "orders_quantity_gte_0", validate: false
  end
end
