class Change < ActiveRecord::Migration[7.1]
  disable_ddl_transaction!

  def change
    add_reference :orders, :user, foreign_key: true, index: { algorithm: :concurrently }
  end
end
