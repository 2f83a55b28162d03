class Change < ActiveRecord::Migration[7.1]
  def change
    create_table :users do |t|
      t.string :email
      t.index :email
    end
  end
end
