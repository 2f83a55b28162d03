class Change < ActiveRecord::Migration[7.1]
  def change
    add_column :legacy, :id, :integer, primary_key: true
  end
end
