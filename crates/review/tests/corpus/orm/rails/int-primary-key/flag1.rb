class Change < ActiveRecord::Migration[7.1]
  def change
    create_table :events, id: :integer do |t|
      t.string :name
    end
  end
end
