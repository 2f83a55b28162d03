def names(ids):
    return [User.objects.get(id=i).name for i in ids]
