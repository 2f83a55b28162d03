class Change < ActiveRecord::Migration[7.1]
  def change
    create_table :widgets do |t|
      t.bigint :user_id
    end
    add_foreign_key :widgets, :users
  end
end
