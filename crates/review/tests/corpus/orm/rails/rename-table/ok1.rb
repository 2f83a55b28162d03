=begin
rename_table :clients, :customers
=end
class Change < ActiveRecord::Migration[7.1]
  def change
    create_table :customers
  end
end
