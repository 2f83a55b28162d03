class Change < ActiveRecord::Migration[7.1]
  def change
    add_index :users, :email, algorithm: :concurrently
  end
end
