class Change < ActiveRecord::Migration[7.1]
  def change
    change_table :users do |t|
      t.string :status, null: false
    end
  end
end
