class Change < ActiveRecord::Migration[7.1]
  def change
    add_reference :orders, :user, index: { algorithm: :concurrently }
  end
end
