class Change < ActiveRecord::Migration[7.1]
  def change
    remove_reference :orders, :coupon, index: true
  end
end
