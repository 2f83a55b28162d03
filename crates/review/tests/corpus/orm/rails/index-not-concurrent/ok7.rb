class Change < ActiveRecord::Migration[7.1]
  def change
    create_table :widgets do |t|
      t.string :name
    end
    add_index :widgets, :name
    add_foreign_key :widgets, :users
  end
end
