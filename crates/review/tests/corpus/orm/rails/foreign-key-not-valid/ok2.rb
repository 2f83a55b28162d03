class Change < ActiveRecord::Migration[7.1]
  def change
    add_reference :orders, :user, foreign_key: { validate: false }, index: false
  end
end
