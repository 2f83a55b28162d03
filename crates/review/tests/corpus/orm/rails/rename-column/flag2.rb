class Change < ActiveRecord::Migration[7.1]
  def change
    change_table :users do |t|
      t.rename :name, :full_name
    end
  end
end
