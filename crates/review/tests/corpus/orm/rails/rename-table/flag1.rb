class Change < ActiveRecord::Migration[7.1]
  def change
    rename_table :clients, :customers
  end
end
